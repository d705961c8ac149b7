function New-NovaGuideInstallation { throw 'todo' }
