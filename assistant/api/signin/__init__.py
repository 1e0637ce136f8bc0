"""Web sign-in: OIDC and WeCom accounts -> directory users (roles from the mapping file) -> sessions."""
