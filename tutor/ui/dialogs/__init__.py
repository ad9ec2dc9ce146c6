"""Modal dialogs over the lesson screen: editing a value, the help page."""
