"""Drawing a graph as text: layout, routing and the character canvas (pure, no Textual)."""
