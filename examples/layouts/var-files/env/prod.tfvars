environment            = "prod"
cost_center            = "Production"
point_in_time_recovery = true
alarm_sns_topic_arns   = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
