"""The trusted judge: a pytest session that talks to runners."""
