"""What a draft may say: masking the house examples' specifics and the guard's checks of a draft against
the user's facts. Never imports a model."""
