"""All terminal output: rich renderables for the answers of the library."""
