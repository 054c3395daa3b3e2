"""age v1 file encryption and keys. A leaf package: it imports neither Textual nor any other hrtui package."""
