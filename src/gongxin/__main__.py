from gongxin.cli import main

main()
