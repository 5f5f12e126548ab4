"""The REST adapter: Litestar app factory, controllers, problem details, auth."""
