from kh.cli import main

main()
