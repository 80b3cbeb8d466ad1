-- The temporal-schema job creates Temporal's own databases; vmigrate's API keeps its tables apart.
CREATE DATABASE vmigrate;
