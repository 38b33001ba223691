"""Everything that leaves the app for someone else to open or read: text made plain
(`escape`) and CSV/XLSX made formula-safe (`tables`). One place each, used everywhere."""
