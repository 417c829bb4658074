# The public names of the module that uniffi-bindgen generates from the
# library's metadata (its private ctypes helpers are not stubbed).

__all__ = ["InternalError", "GreetError", "greet", "hi", "version"]

class InternalError(Exception):
    """UniFFI's error for a panic caught in Rust, or a failure of its own."""

class GreetError(Exception):
    """shared_rust refused a name; the message is its Display text."""

    class Refused(GreetError):
        """The only variant: the reason is in the message."""

def greet(name: str) -> str:
    """Return "Hello, {name}!"; raise GreetError for an empty name."""

def hi() -> str:
    """Return the greeting, "Hello from Rust!"."""

def version() -> str:
    """The crate's version: maturin writes the same into the wheel's metadata."""
