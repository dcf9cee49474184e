variable "bucket_name" {
  type        = string
  description = "Name of the audit log bucket"
}

variable "trail_name" {
  type = string
}

variable "log_prefix" {
  type    = string
  default = ""
}
