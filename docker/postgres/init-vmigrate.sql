-- Temporal's auto-setup creates its own databases; vmigrate's API keeps its tables apart.
CREATE DATABASE vmigrate;
