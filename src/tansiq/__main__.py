"""Allow ``python -m tansiq``."""

from tansiq.cli import main

if __name__ == "__main__":
    main()
