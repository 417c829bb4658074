# PyO3 lists every name a module adds in its __all__, in the order added.
__all__ = ["hi", "greet", "__version__"]

__version__: str

def hi() -> str:
    """Return the greeting, "Hello from Rust!"."""

def greet(name: str) -> str:
    """Return "Hello, {name}!"; raise ValueError for an empty name."""
