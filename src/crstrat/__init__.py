"""crstrat: advice on the Customer Relationships block of a Business Model Canvas."""

__version__ = "0.1.0"
