"""The policydata dashboard (Streamlit): pages draw, the library computes."""
