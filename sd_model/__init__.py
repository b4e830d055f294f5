"""The world: scenario types, loading, the stock-and-flow engine and the build-out model."""
