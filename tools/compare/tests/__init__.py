"""Tests of the comparison tool (run by ``tox -e compare-smoke``)."""
