"""Class insight: what a class got wrong, read from the per-student reports of a batch.

``nnlab grade --batch`` writes each student's results; this package reads them all together
and tells the instructor which checks the class failed, which misconceptions the diagnosis
named and for how many students, and who needs help. One module per step:

* ``records``: what the batch stores per student (every check, with its diagnosis), and
  reading it back from a folder of reports;
* ``ids``: the anonymous ids (``student-01``, ...) the report shows instead of names;
* ``titles``: a readable title for each internal misconception tag;
* ``analysis``: the counting (distributions, failure rates, misconceptions, who needs help,
  before and after);
* ``figures``: the charts, as PNG ``data:`` URIs;
* ``render``: the report as HTML (templates/class_report.html.j2), JSON and CSV;
* ``write``: reads, counts, renders and writes the files (what the batch and ``nnlab report`` call).
"""
