# The cffi module maturin generates: its objects are typed by cffi at run time.
from typing import Any

ffi: Any
lib: Any
