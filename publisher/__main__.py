from publisher.commands.console import console

console()
