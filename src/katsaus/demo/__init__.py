"""The deterministic generator of the demo county's data from the model report's printed figures.

Entry point: `katsaus.demo.generate.generate(reference_csv, config_dir, out_dir, seed=2025)` or
`python -m katsaus.demo.generate --reference ... --config ... --out ...`. The method: docs/demo-data.md.
(Not imported here, so that `python -m katsaus.demo.generate` runs without a double-import warning.)
"""
