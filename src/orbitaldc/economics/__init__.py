"""Economics: space system costs against a terrestrial data center with the same accelerators."""
