environment = "dev"
cost_center = "Development"
