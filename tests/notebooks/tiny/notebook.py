# %% [markdown]
# ## How to work in this notebook
#
# Fill in the code between the `### BEGIN SOLUTION` and `### END SOLUTION` markers.

# %%
# nnlab: setup

# %%
# nnlab: solution activations.Step

# %%
# nnlab: check activations.Step

# %%
# nnlab: tests activations.Step

# %% [markdown]
# ## The sigmoid

# %%
# nnlab: solution activations.Sigmoid

# %%
# nnlab: check activations.Sigmoid

# %%
# nnlab: tests activations.Sigmoid

# %% [markdown]
# ## Experiment: the sigmoid and its derivative

# %%
x = np.linspace(-6, 6, 201)
sigmoid = Sigmoid()
y = sigmoid.forward(x)
dy = sigmoid.backward(np.ones_like(x))
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(x, y, label="sigmoid")
ax.plot(x, dy, label="derivative")
ax.legend()
plt.show()
print(f"largest derivative: {dy.max():.3f}")
