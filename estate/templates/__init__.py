"""One module per CMS template; each turns a SitePlan into a SiteSpec and truth rows."""
