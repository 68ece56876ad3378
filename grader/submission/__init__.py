"""Reading submissions: files, folders and zips matched to exercises."""
