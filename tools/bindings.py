"""The three binding packages, by module name: one list for the tools here.

(tests/conftest.py keeps its own: the test suite also runs from unpacked
sdists and cibuildwheel, where tools/ is not importable.)
"""

BINDINGS = ("pyo3_binding", "cffi_binding", "setuptools_rust_binding")
