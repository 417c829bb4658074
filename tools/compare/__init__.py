"""The comparison report: every route from Python to Rust, measured side by side.

Run it through tox, which installs what it needs: ``tox -e compare`` (the full
run) or ``tox -e compare -- --quick`` (few repetitions). It writes
``results/report.md``, ``results/results.json`` and the charts.
"""
