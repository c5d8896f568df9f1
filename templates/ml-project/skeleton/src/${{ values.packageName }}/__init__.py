"""The ${{ values.name }} ML project: data preparation, training, evaluation and registration.

Run the stages with `dvc repro` (dvc.yaml); each is also a module: `python -m ${{ values.packageName }}.train`.
"""

DESCRIPTION = ${{ values.description | dump }}
