"""Text handling every stage shares: normalisation, sentence splitting, language detection."""
