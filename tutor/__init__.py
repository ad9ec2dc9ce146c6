"""tutor: step through backpropagation on a computational graph, in a terminal."""

__version__ = "0.1.0"
