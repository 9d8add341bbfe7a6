"""What every page shares: request dependencies, errors, i18n, labels, forms, templating."""
