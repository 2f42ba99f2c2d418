"""The commands of the CLI, one module each; heavy imports stay inside the functions."""
