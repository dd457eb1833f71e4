"""Output files and the writer: only inside the output folder, atomic, unchanged files untouched."""
