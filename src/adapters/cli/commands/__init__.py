"""One module per group of commands; each command parses, calls the facade, renders."""
