module "logs" {
  source                = "./modules/logs"
  bucket                = "acme-trussworks-logs"
  alb_logs_enabled      = true
  config_logs_enabled   = false
  vpc_flow_logs_enabled = true
}

resource "aws_lb" "web" {
  name = "web"
  access_logs {
    bucket  = module.logs.bucket_id
    prefix  = "alb"
    enabled = true
  }
}

resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123456789abcdef0"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${module.logs.bucket_arn}/vpc"
}
