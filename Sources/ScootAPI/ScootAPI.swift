import Thrift
