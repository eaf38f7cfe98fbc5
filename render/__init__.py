"""Rendering of exports and reports (PNG, PDF, XLSX): above data/, indicators/ and geo/, below the pages."""
