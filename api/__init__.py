"""otkg HTTP API: a thin FastAPI layer over kg/ (queries -> API); it never makes triples."""
