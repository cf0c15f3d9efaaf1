internal import CLibcurl
