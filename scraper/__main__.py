from scraper import main

main()
