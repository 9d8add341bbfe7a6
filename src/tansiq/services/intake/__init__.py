"""The review queue: news articles a party ingested and the candidates read from them."""
