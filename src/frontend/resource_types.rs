//! The Terraform resource types the rules read (in plans, whose other resources are not
//! converted).

/// Whether resources of this type can matter to a rule: the values of others are not read.
pub fn relevant_type(ty: &str) -> bool {
    ty.starts_with("aws_s3_bucket")
        || ty.starts_with("aws_kms_")
        || ty.starts_with("aws_cloudtrail")
        || is_log_type(ty)
}

/// The resource types of log sources (TG100–TG105).
pub fn is_log_type(ty: &str) -> bool {
    matches!(
        ty,
        "aws_lb"
            | "aws_alb"
            | "aws_elb"
            | "aws_flow_log"
            | "aws_config_delivery_channel"
            | "aws_config_configuration_recorder"
            | "aws_cloudfront_distribution"
            | "aws_redshift_logging"
    )
}
