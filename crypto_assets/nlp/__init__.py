"""Pure NLP logic: offline VADER sentiment with crypto slang, and coin mention detection."""
