bucket_name   = "module-trail-logs"
trail_name    = "org-trail"
trail_prefix  = "cloudtrail"
policy_prefix = "trail-logs"
