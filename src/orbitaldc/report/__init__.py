"""Reports: summary.json, plots, CSV and Parquet outputs, all written atomically."""
