__version__: str

def hi() -> str:
    """Return the greeting, "Hello from Rust!"."""

def greet(name: str) -> str:
    """Return "Hello, {name}!"; raise ValueError for an empty name."""
