"""Pure, vectorised physics: one physical concept per module, SI units throughout."""
