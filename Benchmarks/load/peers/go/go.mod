module growthpeer

go 1.19
