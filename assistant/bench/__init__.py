"""`assistant bench`: search at scale, embedder throughput, answers over HTTP, chat acks: one package."""
